from tests.helpers.offline_cache import cache  # noqa: F401 - fixture
