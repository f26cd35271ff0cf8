"""The app's settings plus the benchmark's reference views (bench/urls.py)."""

from hatinh_training.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
