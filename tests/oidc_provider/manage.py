#!/usr/bin/env python
"""manage.py of the test OpenID provider (see __init__.py)."""

import os
import sys
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
