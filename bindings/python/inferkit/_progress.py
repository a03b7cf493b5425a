"""The progress bar of every sampler, driven by the C ``ik_sampling_progress_fn`` callback."""

import sys

from . import _capi


class Progress:
    """tqdm when installed, else a text bar on stderr; nothing when not ``enabled``.

    ``callback`` is the ctypes function to hand to the sampler (a NULL one when disabled). The
    bar is made at the first callback with the run's total as the sampler reports it, and says
    whether the run is in warm-up or sampling.
    """

    def __init__(self, enabled, description):
        self.description = description
        self.bar = None
        self.tqdm = None
        self.text = False
        self.done = 0
        if enabled:
            try:
                from tqdm.auto import tqdm
                self.tqdm = tqdm
            except ImportError:
                self.text = True
            self.callback = _capi.ik_sampling_progress_fn(self._update)
        else:
            self.callback = _capi.ik_sampling_progress_fn()

    def _update(self, phase, completed, total, user):
        try:
            label = "warmup" if phase == _capi.IK_PHASE_WARMUP else "sampling"
            step = int(completed) - self.done
            self.done = int(completed)
            if self.tqdm is not None:
                if self.bar is None:
                    self.bar = self.tqdm(total=int(total), desc=self.description)
                self.bar.set_postfix_str(label, refresh=False)
                self.bar.update(step)
            elif self.text and (self.done == total or self.done % max(1, total // 50) == 0):
                width = 40
                filled = int(width * self.done / max(1, total))
                sys.stderr.write(f"\r{self.description} [" + "#" * filled + "." * (width - filled)
                                 + f"] {self.done}/{total} {label}  ")
                sys.stderr.flush()
        except Exception:  # noqa: BLE001 - a display failure never stops the run
            pass
        return 0

    def close(self):
        if self.bar is not None:
            self.bar.close()
        elif self.text and self.done:
            sys.stderr.write("\n")
            sys.stderr.flush()
