"""What Python reads from Alembic's configuration files, for the differential
tests of Retort's INI and TOML readers.

  config_read.py ini FILE HERE   configparser.ConfigParser({"here": HERE}), as
                                 Alembic's Config sets it up: every section's
                                 options (DEFAULT's included) with their
                                 interpolated values, or the error.
  config_read.py toml FILE TABLE tomllib: the table's keys (sub-tables left
                                 out, as Retort leaves them), or the error.

Prints one JSON object.
"""
import configparser
import datetime
import json
import sys


def ini(path, here):
    parser = configparser.ConfigParser({"here": here})
    try:
        with open(path, encoding="utf-8") as f:
            parser.read_file(f)
    except configparser.Error as e:
        return {"error": type(e).__name__}
    sections = {}
    for section in parser.sections():
        values = {}
        for option in parser.options(section):
            try:
                values[option] = parser.get(section, option)
            except configparser.Error as e:
                values[option] = {"error": type(e).__name__}
        sections[section] = values
    return {"sections": sections, "order": parser.sections()}


def plain(value):
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items() if plain(v) is not None}
    if isinstance(value, list):
        return [plain(v) for v in value if plain(v) is not None]
    if isinstance(value, (datetime.date, datetime.time, datetime.datetime)):
        return None
    return value


def toml(path, table):
    import tomllib

    with open(path, "rb") as f:
        try:
            doc = tomllib.load(f)
        except tomllib.TOMLDecodeError as e:
            return {"error": str(e)}
    node = doc
    for part in table.split("."):
        if not isinstance(node, dict) or part not in node:
            return {"missing": True}
        node = node[part]
    if not isinstance(node, dict):
        return {"missing": True}
    return {"table": {k: plain(v) for k, v in node.items()
                      if not isinstance(v, dict) and plain(v) is not None}}


if __name__ == "__main__":
    kind, path, arg = sys.argv[1:4]
    print(json.dumps(ini(path, arg) if kind == "ini" else toml(path, arg)))
