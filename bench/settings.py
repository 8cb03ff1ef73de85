"""The project's settings plus the benchmark's baseline view (never in production URLs)."""

from cmetrack.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
