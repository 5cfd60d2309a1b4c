"""Development on a laptop: debug on, e-mail to the console."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
STATIC_ROOT = None  # runserver serves static files from the apps and static/ directly
WHITENOISE_USE_FINDERS = True
