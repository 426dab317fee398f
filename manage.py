#!/usr/bin/env python3
import sys

from pregonero.cli import main

if __name__ == "__main__":
    sys.exit(main())
