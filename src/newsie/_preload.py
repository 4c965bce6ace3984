"""Imported by the batch runner's fork server (see :func:`newsie.runner.run_batch`).

Importing this module loads newsie's patterns and models, once: every worker
process is then forked from a warm server, starts at once and shares the
models' memory with its siblings (copy-on-write) instead of loading its own.
"""

from newsie.runner import warm_up

warm_up(ignore_interrupts=False)
