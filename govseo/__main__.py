import sys

from govseo.cli import main

sys.exit(main())
