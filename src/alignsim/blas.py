"""How many threads BLAS (numpy's and scipy's OpenBLAS) may use while alignsim computes.

At the sizes the model runs, one thread is as fast as several on an idle machine, and on a busy
one (other processes, parallel ensemble workers) multi-threaded OpenBLAS spins for cores it does
not get: 120 steps of the 193-state world took 15 s instead of 0.8 s on a loaded 2-core machine.
Runs (:meth:`alignsim.model.model.AlignmentModel.run`) and the measures of a run's table are computed
inside :func:`limited`.
"""

from __future__ import annotations

import sys
from typing import Any

from threadpoolctl import ThreadpoolController

#: BLAS threads inside :func:`limited` (None: leave the libraries' own setting).
BLAS_THREADS: int | None = 1

# Finding the loaded libraries takes ~2 ms, as long as a whole small run: it is done once, and
# again only when modules were imported since (one may have loaded another BLAS).
_controller: tuple[int, ThreadpoolController] | None = None


def limited() -> Any:
    """A context manager holding BLAS to ``BLAS_THREADS`` threads."""
    global _controller
    if _controller is None or _controller[0] != len(sys.modules):
        _controller = (len(sys.modules), ThreadpoolController())
    return _controller[1].limit(limits=BLAS_THREADS, user_api="blas")
