#!/usr/bin/env python3
"""Write a synthetic Alembic project with N revisions.

The history has what real projects have and what trips naive readers:
branches that merge back, labelled independent branches, depends_on
(by id and by label), annotated assignments, multi-line tuples, implicit
string concatenation, CRLF files, a UTF-8 BOM, and decoy assignments
inside functions, classes, docstrings and comments.

    generate_history.py DEST N [--seed S] [--plain] [--wide]

--plain writes only the standard template (for timing comparisons that
should not depend on the odd cases). --wide makes a wide history: hundreds
of feature branches that merge late (two- and three-way merges), about one
in nine of them labelled, and over a hundred heads left open at the end.
Output is deterministic for a seed.
"""
import argparse
import os
import random

INI = """[alembic]
script_location = %(here)s/migrations
sqlalchemy.url = sqlite:///%(here)s/synthetic.db

[loggers]
keys = root

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARN
handlers = console

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(levelname)-5.5s [%(name)s] %(message)s
"""

ENV = '''from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config


def run_migrations_offline():
    context.configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True,
                      render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    engine = engine_from_config(config.get_section(config.config_ini_section, {}),
                                prefix="sqlalchemy.", poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
'''

WORDS = ("users teams projects labels audit invoices orders payments tags comments "
         "sessions tokens reports metrics alerts webhooks plans quotas files notes").split()


class Generator:
    def __init__(self, n, seed, plain):
        self.n = n
        self.rng = random.Random(seed)
        self.plain = plain
        self.revs = []  # dicts
        self.used = set()

    def new_id(self):
        while True:
            rid = "%012x" % self.rng.getrandbits(48)
            if rid not in self.used:
                self.used.add(rid)
                return rid

    def add(self, down, labels=(), depends=()):
        rid = self.new_id()
        table = self.rng.choice(WORDS) + "_" + str(len(self.revs))
        rev = {"id": rid, "down": down, "labels": tuple(labels), "depends": tuple(depends),
               "table": table, "index": len(self.revs),
               "message": "%s %s" % (self.rng.choice(["create", "add", "extend", "index"]), table)}
        self.revs.append(rev)
        return rid

    def build(self):
        rng = self.rng
        head = self.add(None)
        labelled = []  # [label, head id]
        while len(self.revs) < self.n:
            roll = rng.random()
            remaining = self.n - len(self.revs)
            if roll < 0.03 and remaining > 8:
                # a feature branch: two lines from one point, merged back
                a = b = head
                for _ in range(rng.randint(1, 3)):
                    a = self.add(a)
                for _ in range(rng.randint(1, 3)):
                    b = self.add(b)
                head = self.add((a, b))
            elif roll < 0.04 and remaining > 6 and len(labelled) < 6:
                # an independent, labelled branch with its own base
                label = "lib%d" % len(labelled)
                base = self.add(None, labels=(label,))
                labelled.append([label, base])
            elif roll < 0.08 and labelled:
                # grow a labelled branch
                entry = rng.choice(labelled)
                entry[1] = self.add(entry[1])
            elif roll < 0.11 and labelled:
                # a main-line revision that depends on a labelled branch
                entry = rng.choice(labelled)
                deps = [entry[0] if rng.random() < 0.5 else entry[1]]
                if len(labelled) > 1 and rng.random() < 0.3:
                    other = rng.choice([e for e in labelled if e is not entry])
                    deps.append(other[1])
                head = self.add(head, depends=deps)
            else:
                head = self.add(head)
        return self.revs

    def build_wide(self):
        """Many long-lived feature branches, merged late; ~1.15% of the
        revisions stay open heads, ~3.2% are merges, ~0.5% carry labels."""
        rng = self.rng
        main = self.add(None)
        mainline = [main]
        branches = []  # open feature branch heads
        labels = 0
        while len(self.revs) < self.n:
            roll = rng.random()
            if roll < 0.0505:
                start = main if rng.random() < 0.7 else rng.choice(mainline[-300:])
                label = ()
                if labels < max(1, self.n // 196) and rng.random() < 0.13:
                    label = ("feat%d" % labels,)
                    labels += 1
                branches.append(self.add(start, labels=label))
            elif roll < 0.0825 and len(branches) >= 2:
                picks = rng.sample(branches, rng.choice([1, 1, 2]))
                for p in picks:
                    branches.remove(p)
                main = self.add(tuple([main] + picks))
                mainline.append(main)
            elif roll < 0.6 and branches:
                i = rng.randrange(len(branches))
                branches[i] = self.add(branches[i])
            else:
                main = self.add(main)
                mainline.append(main)
        return self.revs

    # ---- rendering -------------------------------------------------------

    def render(self, rev):
        rng = self.rng
        style = 0 if self.plain else rev["index"] % 9
        q = "'" if (self.plain or rng.random() < 0.5) else '"'
        down = rev["down"]
        if down is None:
            down_src, revises = "None", ""
        elif isinstance(down, tuple):
            revises = ", ".join(down)
            if style in (2, 5):
                down_src = "(\n%s\n)" % "\n".join("    %s," % (q + d + q) for d in down)
            else:
                down_src = "(%s)" % ", ".join(q + d + q for d in down)
        else:
            revises = down
            down_src = q + down + q
            if style == 6 and len(down) > 6:
                down_src = "%s%s%s %s%s%s" % (q, down[:5], q, q, down[5:], q)
        labels_src = "None"
        if rev["labels"]:
            labels_src = "(%s,)" % ", ".join(q + l + q for l in rev["labels"])
            if style == 3:
                labels_src = q + rev["labels"][0] + q
        deps_src = "None"
        if len(rev["depends"]) > 1:
            deps_src = "[%s]" % ", ".join(q + d + q for d in rev["depends"])
        elif rev["depends"]:
            deps_src = q + rev["depends"][0] + q if style % 2 else "(%s,)" % (q + rev["depends"][0] + q)
        rid_src = q + rev["id"] + q
        t = rev["table"]
        doc = '"""%s\n\nRevision ID: %s\nRevises: %s\nCreate Date: 2026-%02d-%02d 10:%02d:00.000000\n\n"""' % (
            rev["message"], rev["id"], revises, 1 + rev["index"] % 12, 1 + rev["index"] % 28,
            rev["index"] % 60)
        if style == 4:
            # a decoy inside the docstring
            doc = doc[:-3] + "Example: revision = 'not_this_one'\n\"\"\""
        header = [doc, "from alembic import op", "import sqlalchemy as sa"]
        if style == 1:
            header.append("from typing import Sequence, Union")
        header.append("")
        header.append("# revision identifiers, used by Alembic.")
        if style == 1:
            assigns = [
                "revision: str = %s" % rid_src,
                "down_revision: Union[str, Sequence[str], None] = %s" % down_src,
                "branch_labels: Union[str, Sequence[str], None] = %s" % labels_src,
                "depends_on: Union[str, Sequence[str], None] = %s" % deps_src,
            ]
        elif style == 7:
            # last assignment wins; the first are placeholders
            assigns = [
                "revision = 'placeholder'",
                "down_revision = None",
                "revision = %s" % rid_src,
                "down_revision = %s" % down_src,
                "branch_labels = %s" % labels_src,
                "depends_on = %s" % deps_src,
            ]
        else:
            assigns = [
                "revision = %s" % rid_src,
                "down_revision = %s" % down_src,
                "branch_labels = %s" % labels_src,
                "depends_on = %s" % deps_src,
            ]
        if style == 8:
            assigns.insert(0, "# down_revision = 'commented_out'")
            assigns.append("class _Helper:\n    revision = 'inside_a_class'")
        body_up = [
            "    op.create_table(",
            "        %s," % (q + t + q),
            "        sa.Column('id', sa.Integer(), primary_key=True),",
            "        sa.Column('name', sa.String(100), nullable=False),",
            "    )",
            "    op.create_index('ix_%s_name', '%s', ['name'])" % (t, t),
        ]
        body_down = [
            "    op.drop_index('ix_%s_name', table_name='%s')" % (t, t),
            "    op.drop_table(%s)" % (q + t + q),
        ]
        if style in (4, 5):
            body_up.insert(0, "    revision = 'decoy_in_function'  # not module level")
            body_down.insert(0, "    down_revision = None")
        text = "\n".join(header) + "\n" + "\n".join(assigns) + "\n\n\ndef upgrade():\n" + \
            "\n".join(body_up) + "\n\n\ndef downgrade():\n" + "\n".join(body_down) + "\n"
        data = text.encode("utf-8")
        if style == 2 and not self.plain:
            data = data.replace(b"\n", b"\r\n")
        if style == 3 and not self.plain:
            data = b"\xef\xbb\xbf" + data
        return data

    def write(self, dest):
        versions = os.path.join(dest, "migrations", "versions")
        os.makedirs(versions, exist_ok=True)
        with open(os.path.join(dest, "alembic.ini"), "w") as f:
            f.write(INI)
        with open(os.path.join(dest, "migrations", "env.py"), "w") as f:
            f.write(ENV)
        for rev in self.revs:
            name = "%s_%s.py" % (rev["id"], rev["message"].replace(" ", "_"))
            with open(os.path.join(versions, name), "wb") as f:
                f.write(self.render(rev))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dest")
    parser.add_argument("n", type=int)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--plain", action="store_true")
    parser.add_argument("--wide", action="store_true")
    args = parser.parse_args()
    gen = Generator(args.n, args.seed, args.plain)
    if args.wide:
        gen.build_wide()
    else:
        gen.build()
    gen.write(args.dest)


if __name__ == "__main__":
    main()
