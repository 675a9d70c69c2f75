"""How SQLAlchemy (the version Alembic here uses) reads database URLs.

Reads one URL per line on stdin; prints one JSON object per URL: the parts
make_url() finds, or the error it raises (without the URL, which may hold a
password).
"""
import json
import sys

from sqlalchemy.engine.url import make_url


def main():
    for line in sys.stdin.read().split("\n"):
        if not line:
            continue
        url = json.loads(line)
        try:
            u = make_url(url)
            query = {k: (list(v) if isinstance(v, tuple) else v) for k, v in u.query.items()}
            print(json.dumps({
                "ok": True, "drivername": u.drivername, "username": u.username,
                "password": u.password, "host": u.host, "port": u.port,
                "database": u.database, "query": query,
            }))
        except Exception as e:  # noqa: BLE001
            print(json.dumps({"ok": False, "error": type(e).__name__}))


if __name__ == "__main__":
    main()
