#!/usr/bin/python3
"""What the real Alembic would run: for each `CURRENT|TARGET|up/down` query,
the steps of `alembic upgrade/downgrade TARGET` on a database whose version
table holds CURRENT (comma-separated ids, empty for base), with the
version-table change each step makes (Alembic's own HeadMaintainer,
recording instead of executing).

    alembic_plan.py (--config INI | --versions DIR) QUERY...

Prints JSON: {query: {"steps": [[revision, [changes...]], ...], "heads": [...]}
or {"error": message}}. Directory order is pinned as in alembic_dump.py.
"""
import json
import os
import sys
import tempfile
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import alembic_dump  # noqa: E402  (pins listing and set orders)

from alembic import util  # noqa: E402
from alembic.config import Config  # noqa: E402
from alembic.runtime.migration import HeadMaintainer  # noqa: E402
from alembic.script import ScriptDirectory  # noqa: E402


class Recorder(HeadMaintainer):
    def __init__(self, heads):
        self.heads = set(heads)
        self.log = []

    def _insert_version(self, version):
        assert version not in self.heads
        self.heads.add(version)
        self.log.append("insert %s" % version)

    def _delete_version(self, version):
        self.heads.remove(version)
        self.log.append("delete %s" % version)

    def _update_version(self, from_, to_):
        assert to_ not in self.heads
        self.heads.remove(from_)
        self.heads.add(to_)
        self.log.append("update %s -> %s" % (from_, to_))


def main():
    warnings.simplefilter("ignore")
    args = sys.argv[1:]
    if args[0] == "--config":
        script = ScriptDirectory.from_config(Config(args[1]))
    else:
        script = ScriptDirectory(tempfile.mkdtemp(), version_locations=[os.path.abspath(args[1])])
    out = {}
    for query in args[2:]:
        current, target, direction = query.split("|")
        heads = tuple(c for c in current.split(",") if c)
        try:
            with script._catch_revision_errors():
                steps = (script._upgrade_revs(target, heads) if direction == "up"
                         else script._downgrade_revs(target, heads))
            recorder = Recorder(heads)
            result = []
            for step in steps:
                before = len(recorder.log)
                recorder.update_to_step(step)
                result.append([step.revision.revision, recorder.log[before:]])
            out[query] = {"steps": result, "heads": sorted(recorder.heads)}
        except util.CommandError as e:
            out[query] = {"error": str(e)}
        except Exception as e:  # Alembic's own internal failures
            out[query] = {"crash": "%s: %s" % (type(e).__name__, e)}
    json.dump(out, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
