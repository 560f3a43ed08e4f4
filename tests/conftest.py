from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path, monkeypatch):
    """No test writes into the developer's ./data."""
    monkeypatch.setenv("MEDIAMON_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture(scope="session")
def test_vocab():
    from transforms.vocab import load_vocabulary

    return load_vocabulary(FIXTURES / "config")
