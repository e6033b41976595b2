"""Experiments: arms of scenarios run over common random numbers, compared with honest CIs."""
