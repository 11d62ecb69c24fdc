"""`make loadtest`: the deadline surge against the production-like stack (see run.py)."""

import re

# a form's CSRF token, as the runner and the locust users read it from a page they sign in through
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
