#!/usr/bin/env python3
"""Build the press-release site: `python build.py --help`."""

import sys

try:
    from site_builder.cli import main
except KeyboardInterrupt:  # Ctrl+C before anything was done
    sys.exit(130)

if __name__ == "__main__":
    sys.exit(main())
