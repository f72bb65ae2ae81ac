import sys

from alignsim.cli.main import main

sys.exit(main())
