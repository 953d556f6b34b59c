import pytest


@pytest.fixture(autouse=True)
def _english(in_english):
    """These tests read the English source texts, whatever the catalog says in French."""
