from tests.warehouse.fixtures import demo_data_dir, spiked_warehouse  # noqa: F401  (shared with tests/test_cli_*.py)
