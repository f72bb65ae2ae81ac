"""The ``alignsim`` command: arguments in :mod:`.arguments`, dispatch in :mod:`.main`, one module per command."""
