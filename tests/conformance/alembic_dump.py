#!/usr/bin/python3
"""Dump what the real Alembic makes of a project, as JSON, for Retort's
conformance tests.

    alembic_dump.py (--config INI | --versions DIR) [--stub-imports]
                    [--spec S ...] [--range R ...]

--stub-imports lets Alembic import revisions of real projects whose
application packages are not installed here: any module that cannot be found
becomes a stand-in whose attributes are stand-ins too. Revisions that compute
their identifiers from such modules then read as stand-ins, which the
comparison reports (Retort reports them as not-literal).

Alembic lists a versions folder in directory order, which differs between
machines; this harness sorts it by name (as Retort does) so that orders are
comparable. Where Alembic keeps a set and so varies from run to run with
Python's hash seed, the harness pins one order: labels and branch targets
print sorted, and a revision's normalized dependencies keep the order its
depends_on declares (that order decides `history` when a revision depends
on two others). Nothing else about Alembic is changed.
"""
import argparse
import json
import os
import sys
import tempfile
import warnings

from alembic import util
from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.script import base as script_base
from alembic.script.revision import RevisionMap

_orig_list = script_base.Script._list_py_dir.__func__


def _sorted_list(cls, scriptdir, path):
    return sorted(_orig_list(cls, scriptdir, path))


script_base.Script._list_py_dir = classmethod(_sorted_list)

_orig_comma = util.format_as_comma


def _comma(value):
    if isinstance(value, (set, frozenset)):
        value = sorted(value)
    return _orig_comma(value)


util.format_as_comma = _comma
script_base.util.format_as_comma = _comma

_orig_normalize = RevisionMap._normalize_depends_on


def _normalize_in_declared_order(self, revisions, map_):
    _orig_normalize(self, revisions, map_)
    for rev in revisions:
        keep = set(rev._normalized_resolved_dependencies)
        rev._normalized_resolved_dependencies = tuple(
            d for d in rev._resolved_dependencies if d in keep)


RevisionMap._normalize_depends_on = _normalize_in_declared_order

class _Stub:
    """Anything: callable, indexable, usable as a base class."""

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return _Stub()

    def __call__(self, *args, **kwargs):
        return _Stub()

    def __getitem__(self, key):
        return _Stub()

    def __iter__(self):
        return iter(())

    def __mro_entries__(self, bases):
        return (object,)

    def __repr__(self):
        return "<stub>"


def _stub_module_attribute(name):
    if name.startswith("__"):
        raise AttributeError(name)
    return _Stub()


class _StubFinder:
    """Last on sys.meta_path: serves modules nothing else could find."""

    def find_spec(self, name, path=None, target=None):
        import importlib.machinery
        return importlib.machinery.ModuleSpec(name, self, is_package=True)

    def create_module(self, spec):
        import types
        module = types.ModuleType(spec.name)
        module.__path__ = []
        module.__getattr__ = _stub_module_attribute
        return module

    def exec_module(self, module):
        pass


def to_list(value):
    return list(util.to_tuple(value, default=()))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config")
    parser.add_argument("--versions")
    parser.add_argument("--stub-imports", action="store_true")
    parser.add_argument("--spec", action="append", default=[])
    parser.add_argument("--range", action="append", default=[])
    args = parser.parse_args()

    warnings.simplefilter("ignore")
    if args.stub_imports:
        sys.meta_path.append(_StubFinder())
    if args.config:
        cfg = Config(args.config)
        script = ScriptDirectory.from_config(cfg)
    else:
        holder = tempfile.mkdtemp()
        script = ScriptDirectory(holder, version_locations=[os.path.abspath(args.versions)])

    out = {"revisions": [], "heads": [], "bases": [], "history": [], "history_lines": [],
           "specs": {}, "ranges": {}}
    try:
        revs = [rev for key, rev in script.revision_map._revision_map.items()
                if rev is not None and key == rev.revision]
    except Exception as e:  # a folder Alembic cannot load at all
        out["error"] = "%s: %s" % (type(e).__name__, e)
        json.dump(out, sys.stdout, indent=1)
        return
    for rev in revs:
        if rev is None:
            continue
        out["revisions"].append({
            "revision": rev.revision,
            "down_revisions": to_list(rev.down_revision),
            "depends_on": to_list(rev.dependencies),
            "branch_labels": list(rev._orig_branch_labels),
            "path": rev.path,
            "message": rev.doc,
        })
    out["heads"] = sorted(script.get_heads())
    out["bases"] = sorted(script.get_bases())
    for sc in script.walk_revisions():
        out["history"].append(sc.revision)
        out["history_lines"].append(sc.cmd_format(verbose=False, include_branches=True,
                                                  include_doc=True, include_parents=True))

    def attempt(fn):
        try:
            return {"ok": [r.revision for r in fn() if r is not None and not isinstance(r, str)]}
        except util.CommandError as e:
            return {"error": str(e)}
        except Exception as e:
            return {"crash": "%s: %s" % (type(e).__name__, e)}

    for spec in args.spec:
        out["specs"][spec] = attempt(lambda: script.get_revisions(spec))
    for rng in args.range:
        base, head = rng.split(":")
        out["ranges"][rng] = attempt(
            lambda: list(script.walk_revisions(base=base or "base", head=head or "heads")))
    json.dump(out, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
