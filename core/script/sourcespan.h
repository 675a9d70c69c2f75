#pragma once

namespace Retort {

// A byte range in a file, with the line it starts on.
struct SourceSpan
{
    int start = -1;
    int end = -1;
    int line = 0;

    bool isValid() const { return start >= 0 && end >= start; }
    friend bool operator==(const SourceSpan &, const SourceSpan &) = default;
};

} // namespace Retort
