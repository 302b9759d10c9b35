"""The Qt user interface. Reaches data only through the services of models/."""

import ctypes
import sys

# PySide6 6.12 (the only release with the QtPdf add-on the program prints through) gives back one
# reference too many to None on each Qt call that returns it (a label's setText, a combo's
# currentData…), and to True or False from some. From Python 3.12 on these objects are immortal and
# nothing happens; on 3.11 a few thousand calls, a morning at the counter, bring None's count to
# zero and the interpreter aborts ("none_dealloc"), losing the window mid-redemption. So, as
# 3.12 does, they are made immortal in practice before any Qt call: a count no day can spend.
_RESERVE = 1 << 40

if sys.version_info < (3, 12):
    for _constant in (None, True, False):
        ctypes.c_ssize_t.from_address(id(_constant)).value += _RESERVE
