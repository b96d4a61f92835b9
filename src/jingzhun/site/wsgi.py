"""WSGI entry point (gunicorn, ``jingzhun serve``).

After Django has loaded, everything imported so far (modules, templates, URL patterns: ~10⁵ objects that
live as long as the process) is moved out of the garbage collector's sight with ``gc.freeze()``, so the
collections a request triggers do not walk them again and again (the public pages' tail latency).
"""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jingzhun.site.settings")
application = get_wsgi_application()
gc.collect()
gc.freeze()
