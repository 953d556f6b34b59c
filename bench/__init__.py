"""The Ordi-pratique benchmark: a dataset at the scale of a metropolis and the measures that
must stay fast on it. Run ``python -m bench --help``; see bench/README.md."""
