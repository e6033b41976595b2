"""salessim: a discrete-event simulator and training game for sales organisations."""

from salessim.model.engine import Simulation
from salessim.run import RunResult, simulate

__version__ = "0.1.0"

__all__ = ["RunResult", "Simulation", "__version__", "simulate"]
