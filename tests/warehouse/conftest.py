from tests.warehouse.fixtures import spiked_warehouse  # noqa: F401  (shared with tests/test_cli_*.py)
