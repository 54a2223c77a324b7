"""`python -m dl_kernel -f CONNECTION_FILE [--dl PATH]`: starts the kernel.

`--dl PATH` (written by scripts/jupyter-install into the kernelspec) names the dl binary;
a DL_BINARY set in the environment wins over it, so another build can be tried without
reinstalling the kernelspec.
"""
import os
import sys

from ipykernel.kernelapp import IPKernelApp

from .kernel import DLKernel


def main() -> None:
    argv = sys.argv[1:]
    if "--dl" in argv:
        at = argv.index("--dl")
        if at + 1 < len(argv):
            os.environ.setdefault("DL_BINARY", argv[at + 1])
            del argv[at:at + 2]
    sys.argv = sys.argv[:1] + argv
    IPKernelApp.launch_instance(kernel_class=DLKernel)


if __name__ == "__main__":
    main()
