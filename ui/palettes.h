#pragma once

namespace Retort::Palettes {

// View > Dark Palette: a dark Fusion palette for desktops whose theme does
// not reach Qt applications; false puts back the palette Retort started with.
void applyDark(bool dark);

} // namespace Retort::Palettes
