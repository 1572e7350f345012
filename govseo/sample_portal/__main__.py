"""``python -m govseo.sample_portal [--port N] [--variant regressed]``: serve the sample portal until Ctrl-C."""

from __future__ import annotations

import argparse
import threading

from .server import serve_portal
from .site import VARIANTS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m govseo.sample_portal",
                                     description="Serve the fictional 云溪市人民政府 sample portal on 127.0.0.1.")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port to bind (default: any free port)")
    parser.add_argument("--variant", choices=[v for v in VARIANTS if v], default=None,
                        help="serve a variant of the portal (regressed: two planted regressions)")
    args = parser.parse_args(argv)
    with serve_portal(args.variant, host=args.host, port=args.port) as url:
        print(url, flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
