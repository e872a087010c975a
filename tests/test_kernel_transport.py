"""Report kernels talk over Unix sockets: no TCP ports, no unencrypted-transport warning."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from childplan_analysis.core import config
from childplan_analysis.report.build import ipc_kernel_manager

pytestmark = pytest.mark.skipif(os.name != "posix", reason="Unix sockets")


def test_the_kernel_manager_uses_ipc_in_the_given_folder(tmp_path):
    km = ipc_kernel_manager(str(tmp_path))(kernel_name="python3")
    assert km.transport == "ipc"
    assert km.ip == str(tmp_path / "kernel")


def test_a_report_run_prints_no_tcp_warning(tmp_path):
    code = "import sys; from childplan_analysis.cli import main; sys.exit(main())"
    proc = subprocess.run(
        [sys.executable, "-c", code, "report", "--plan", str(config.NATIONAL_PLAN_FILE),
         "--data", str(config.NATIONAL_DATA_DIR), "--out", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "out" / "index.html").is_file()
    assert "without encryption" not in proc.stderr + proc.stdout


def test_batch_kernels_run_numeric_libraries_single_threaded(tmp_path, monkeypatch):
    """A batch kernel caps BLAS/OpenMP threads (the workers share the cores) unless the caller set them."""
    from childplan_analysis.batch.kernel import kernel_environment

    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    monkeypatch.setenv("MKL_NUM_THREADS", "3")
    env = kernel_environment()
    assert (env["OMP_NUM_THREADS"], env["OPENBLAS_NUM_THREADS"], env["MKL_NUM_THREADS"]) == ("1", "1", "3")
    printed = _batch_kernel_prints(tmp_path, "import os; print(os.environ.get('OMP_NUM_THREADS'), "
                                             "os.environ.get('MKL_NUM_THREADS'))")
    assert printed.split() == ["1", "3"]


def _batch_kernel_prints(cwd, code: str) -> str:
    """What ``code`` prints in a batch kernel (:class:`KernelSlot`) started in ``cwd``."""
    from jupyter_core.utils import run_sync

    from childplan_analysis.batch.kernel import KernelSlot

    slot = KernelSlot("python3", 1)
    try:
        kc = slot.acquire(cwd).client()
        kc.start_channels()
        run_sync(kc.wait_for_ready)(timeout=60)
        seen: list[str] = []
        run_sync(kc.execute_interactive)(code, timeout=60,
                                         output_hook=lambda msg: seen.append(msg["content"].get("text", "")))
        kc.stop_channels()
    finally:
        slot.shutdown()
    return "".join(seen)


@pytest.mark.parametrize("depth", [1, 80])
def test_batch_kernel_files_stay_in_the_scratch_folder_unless_socket_paths_would_be_too_long(depth):
    """Sockets and the connection file go in the batch's scratch folder; one too deep for a Unix
    socket path (about 104 bytes) gets them in the system's temporary folder. Both are removed."""
    import shutil
    import tempfile

    from childplan_analysis.batch.kernel import KernelSlot

    if len(tempfile.gettempdir()) > 20:
        pytest.skip("needs a short temporary folder")
    base = Path(tempfile.mkdtemp(prefix="cpt-"))
    scratch = base / ("d" * depth) / "childplan-batch-x"
    scratch.mkdir(parents=True)
    slot = KernelSlot("python3", 1, str(scratch))
    try:
        km = slot.acquire(base)
        slot.run("x = 1")
        folder = Path(slot._ipc_dir)
        assert km.transport == "ipc" and Path(km.connection_file).parent == folder
        assert sorted(p.name for p in folder.iterdir())[-1] == "kernel.json"
        assert (folder.parent == scratch) == (depth == 1)
    finally:
        slot.shutdown()
        left = list(scratch.iterdir())
        shutil.rmtree(base)
    assert not folder.exists() and left == []


def test_batch_kernels_keep_their_own_log_off_the_terminal(tmp_path):
    """A kernel stopped while handling a message logs "KeyboardInterrupt caught in kernel": its log
    level keeps such lines off the analyst's terminal (a region's failure is reported as such)."""
    printed = _batch_kernel_prints(tmp_path, "from ipykernel.kernelapp import IPKernelApp; "
                                             "print(IPKernelApp.instance().log_level)")
    assert int(printed) == 50  # logging.CRITICAL
