import sys

from alignsim.cli import main

sys.exit(main())
