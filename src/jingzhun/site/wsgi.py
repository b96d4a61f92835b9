"""WSGI entry point (gunicorn, ``jingzhun serve``).

After Django has loaded, everything imported so far (modules, templates, URL patterns: ~10⁵ objects that
live as long as the process) is moved out of the garbage collector's sight with ``gc.freeze()``, so the
collections a request triggers do not walk them again and again (the public pages' tail latency).

With ``JINGZHUN_DEBUG`` off the application refuses to load with the development ``SECRET_KEY``
(``site/secret.py``: a Chinese ``ImproperlyConfigured`` saying how to set ``JINGZHUN_SECRET_KEY``).
"""

import gc
import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

from jingzhun.site.secret import REFUSAL, refused

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jingzhun.site.settings")
if refused(settings.DEBUG, settings.SECRET_KEY):
    raise ImproperlyConfigured(REFUSAL)
application = get_wsgi_application()
gc.collect()
gc.freeze()
