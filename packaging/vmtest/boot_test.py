"""Install the offline bundle on a fresh Debian 12 virtual machine, reboot into the kiosk, and try to break it.

    sudo .venv/bin/python packaging/vmtest/boot_test.py BUNDLE.tar.gz [--accel kvm] [--work DIR] [--installed]

What a county technician does, on a machine nobody has touched: a Debian 12 root made by debootstrap
(with the Debian packages the bundle lists, as the county's base image has them), booted under
QEMU/KVM with a display, a tablet for touch, a keyboard and a sound card, and no network at all.
Over the serial console it runs the bundle's install.sh --offline and reboots, then checks that
the kiosk comes up on the screen by itself, that killing it and freezing its event loop both bring
it back (within the watchdog interval), that the relay keeps running meanwhile, and that
``kiosk doctor`` says what is missing on this machine. Screenshots of the VM's display go to the
work folder. Needs root, /dev/kvm, debootstrap, qemu-system-x86 and e2fsprogs; the first run needs
Debian's mirror (the root folder is kept and reused). It checks all of that before it starts (the
project's venv, made by ./dev, has PySide6 for the screenshots) rather than failing an hour in.
"""

from __future__ import annotations

import argparse
import codecs
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
MIRROR = "http://deb.debian.org/debian"
BASE_PACKAGES = "systemd-sysv,udev,dbus,kmod,linux-image-amd64,initramfs-tools,procps,iproute2,e2fsprogs"
WATCHDOG_S = 30
PROMPT = "vmtest# "
ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")  # the shell's terminal modes around each prompt
# The kiosk's parts: a screen, touch (an absolute pointer), a keyboard for the technician, a sound card
# with a speaker and a microphone (nothing behind them on the host), and no network at all.
HARDWARE = shlex.split(
    "-m 3072 -smp 2 -display none -nic none -device virtio-vga -device qemu-xhci -device usb-tablet"
    " -device usb-kbd -audiodev none,id=sound -device ich9-intel-hda -device hda-duplex,audiodev=sound"
)
KERNEL_ARGS = "root=/dev/vda rw console=tty0 console=ttyS0,115200 quiet loglevel=3"
# Software emulation works everywhere (slowly); KVM where the host really offers it (nested KVM that
# refuses the ARCH_CAPABILITIES register, or hangs the guest's first instructions, does not count).
ACCELERATORS = {
    "tcg": ["-accel", "tcg,thread=multi", "-cpu", "max"],
    "kvm": ["-accel", "kvm", "-cpu", "host,-arch-capabilities"],
}


class Failed(Exception):
    pass


def debian_packages() -> list[str]:
    names = []
    for listing in ("debian-packages.txt", "debian-session-packages.txt"):
        for line in (REPO / "packaging" / listing).read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                names.append(line.strip())
    return names


def debootstrap(root: Path) -> None:
    """A fresh Debian 12 root with what the bundle lists; a kept root gets what the lists gained since."""
    if not (root / "etc" / "debian_version").exists():
        include = ",".join([BASE_PACKAGES, *debian_packages()])
        print(f"vmtest: debootstrap Debian 12 into {root} (needs the mirror once)")
        subprocess.run(
            ["debootstrap", "--variant=minbase", f"--include={include}", "bookworm", str(root), MIRROR], check=True
        )
    missing = [
        name
        for name in debian_packages()
        if subprocess.run(["chroot", str(root), "dpkg", "-s", name], capture_output=True).returncode != 0
    ]
    if missing:
        subprocess.run(["chroot", str(root), "apt-get", "update", "-q"], check=True)
        install = ["apt-get", "install", "-y", "-q", "--no-install-recommends", *missing]
        subprocess.run(["chroot", str(root), *install], check=True)
    subprocess.run(["chroot", str(root), "apt-get", "clean"], check=True)


def disk_image(root: Path, bundle: Path, image: Path) -> None:
    """A copy of the fresh root, with the bundle in /root and a root shell on the serial console."""
    machine = image.parent / "machine-root"
    if machine.exists():
        shutil.rmtree(machine)
    subprocess.run(["cp", "-a", str(root), str(machine)], check=True)
    (machine / "etc/hostname").write_text("kiosk-vm\n")
    (machine / "etc/fstab").write_text("/dev/vda / ext4 defaults 0 1\n")
    getty = machine / "etc/systemd/system/serial-getty@ttyS0.service.d"
    getty.mkdir(parents=True, exist_ok=True)
    (getty / "autologin.conf").write_text(
        "[Service]\nExecStart=\nExecStart=-/sbin/agetty --autologin root --keep-baud 115200 - vt220\n"
    )
    (machine / "root/.profile").write_text(f"export PS1='{PROMPT}' PAGER=cat SYSTEMD_PAGER=\nstty -echo cols 200\n")
    subprocess.run(["chroot", str(machine), "passwd", "-d", "root"], check=True, capture_output=True)
    shutil.copy2(bundle, machine / "root" / bundle.name)
    image.unlink(missing_ok=True)
    subprocess.run(["mke2fs", "-q", "-t", "ext4", "-d", str(machine), str(image), "8G"], check=True)
    shutil.rmtree(machine)


class Machine:
    """One QEMU/KVM guest: its serial console to type into and its monitor for screenshots."""

    def __init__(self, root: Path, image: Path, work: Path, accel: str) -> None:
        self._work = work
        serial, monitor = work / "serial.sock", work / "monitor.sock"
        for path in (serial, monitor):
            path.unlink(missing_ok=True)
        kernel, initrd = sorted(root.glob("boot/vmlinuz-*"))[-1], sorted(root.glob("boot/initrd.img-*"))[-1]
        self._log = (work / "console.log").open("a", encoding="utf-8", errors="replace")
        self.process = subprocess.Popen(
            [
                "qemu-system-x86_64",
                *ACCELERATORS[accel],
                *HARDWARE,
                *("-kernel", str(kernel), "-initrd", str(initrd), "-append", KERNEL_ARGS),
                *("-drive", f"file={image},format=raw,if=virtio"),
                *("-chardev", f"socket,id=console,path={serial},server=on,wait=off", "-serial", "chardev:console"),
                *("-monitor", f"unix:{monitor},server,nowait"),
            ]
        )
        self._serial = self._connect(serial)
        self._monitor = self._connect(monitor)
        self._buffer = ""
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")  # a character may span two reads

    def _connect(self, path: Path) -> socket.socket:
        for _ in range(100):
            try:
                sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                sock.connect(str(path))
                return sock
            except OSError:
                time.sleep(0.1)
        raise Failed(f"QEMU did not open {path}")

    def wait_for(self, pattern: str, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while not (found := re.search(pattern, self._buffer)):
            if time.monotonic() > deadline:
                raise Failed(f"waited {timeout:.0f} s for {pattern!r}; the console ended: {self._buffer[-600:]!r}")
            self._serial.settimeout(max(0.1, min(1.0, deadline - time.monotonic())))
            try:
                raw = self._serial.recv(65536)
            except TimeoutError:
                continue
            if not raw:
                raise Failed("the machine's console closed")
            data = self._decoder.decode(raw)
            self._log.write(data)
            self._log.flush()
            self._buffer += data
        seen, self._buffer = self._buffer[: found.end()], self._buffer[found.end() :]
        return seen

    def login(self, timeout: float = 600) -> None:
        self.wait_for(re.escape(PROMPT), timeout)

    def type_line(self, line: str) -> None:
        self._serial.sendall(f"{line}\n".encode())

    def run(self, command: str, timeout: float = 120) -> tuple[int, str]:
        """Run a shell command in the guest; its exit status and what it printed."""
        token = f"END{time.monotonic_ns()}"
        self.type_line(f"{command}; echo {token}:$?")
        out = self.wait_for(rf"{token}:(\d+)\r?\n", timeout)
        status = int(re.search(rf"{token}:(\d+)", out).group(1))
        self.wait_for(re.escape(PROMPT), 10)
        printed = ESCAPES.sub("", out[: out.rfind(token)]).replace("\r", "")
        return status, printed.strip()

    def must(self, command: str, timeout: float = 120) -> str:
        status, out = self.run(command, timeout)
        if status != 0:
            raise Failed(f"`{command}` exited {status}: {out[-800:]}")
        return out

    def screenshot(self, name: str) -> Path:
        ppm = self._work / f"{name}.ppm"
        ppm.unlink(missing_ok=True)
        self._monitor.sendall(f"screendump {ppm}\n".encode())
        for _ in range(50):
            if ppm.exists() and ppm.stat().st_size > 0:
                break
            time.sleep(0.1)
        time.sleep(0.5)
        return _to_png(ppm)

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()
        self._log.close()


def _to_png(ppm: Path) -> Path:
    from PySide6.QtGui import QImage

    png = ppm.with_suffix(".png")
    QImage(str(ppm)).save(str(png))
    ppm.unlink()
    return png


def ui_process(vm: Machine) -> int | None:
    """The kiosk's own Python process: cage's command line ends in "kiosk run" too, but it is not what pings."""
    status, out = vm.run("pgrep -u kiosk -f '^/opt/village-kiosk/venv/bin/python .*kiosk run' | head -n1")
    return int(out) if status == 0 and out.isdigit() else None


def wait_for_new_ui(vm: Machine, old: int | None, timeout: float) -> tuple[int, float]:
    """The kiosk's new process once systemd has started it again and it said READY=1."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        pid = ui_process(vm)
        if pid is not None and pid != old and vm.run("systemctl is-active kiosk-ui")[1] == "active":
            return pid, time.monotonic() - started
        time.sleep(1)
    raise Failed(f"the kiosk did not come back within {timeout:.0f} s")


CONFIGURE = (
    "sed -i -e 's|^kiosk_id = .*|kiosk_id = \"vm-001\"|'"
    " -e 's|^#* *secret = .*|secret = \"vmtest-secret-0123456789abcdef\"|'"
    " -e 's|^provincial_url = .*|provincial_url = \"https://province.invalid\"|' /etc/kiosk/kiosk.toml"
)


def install(vm: Machine, bundle: Path, report: list[str]) -> None:
    """What the technician types on the fresh machine, then the reboot."""
    vm.login()
    report.append("booted the fresh Debian 12 machine (no network)")
    vm.must(f"mkdir -p /root/b && tar -xzf /root/{bundle.name} -C /root/b", 300)
    out = vm.must("/root/b/*/install.sh --offline 2>&1 | tail -n 5", 1800)
    report.append(f"install.sh --offline: {out.splitlines()[-1]}")
    vm.must(CONFIGURE)
    check = vm.must("kiosk config check 2>&1 | tail -n1")
    report.append(f"kiosk config check: {check}")
    reboot(vm)


def reboot(vm: Machine) -> None:
    vm.type_line("systemctl reboot")
    vm.wait_for("reboot: Restarting system", 300)


def supervised(vm: Machine, report: list[str]) -> None:
    """The kiosk after a reboot: on screen by itself, and back after a kill and after a freeze."""
    vm.login(600)
    first, waited = wait_for_new_ui(vm, None, 300)
    report.append(f"kiosk-ui active after the reboot, kiosk pid {first} ({waited:.0f} s after the console came up)")
    time.sleep(10)
    report.append(f"screen: {vm.screenshot('after-reboot')}")
    sound(vm, report)
    relay = vm.must("systemctl show -p MainPID --value kiosk-relay")
    vm.must(f"kill -9 {first}")
    killed_at = time.monotonic()
    second, _ = wait_for_new_ui(vm, first, 300)
    report.append(f"kill -9: back as pid {second} after {time.monotonic() - killed_at:.0f} s")
    time.sleep(10)
    vm.must(f"kill -STOP {second}")
    frozen_at = time.monotonic()
    third, _ = wait_for_new_ui(vm, second, WATCHDOG_S + 300)
    watchdog = vm.must("journalctl -u kiosk-ui -o cat | grep -i -m1 watchdog || true")
    report.append(
        f"frozen event loop (SIGSTOP): back as pid {third} after {time.monotonic() - frozen_at:.0f} s "
        f"(WatchdogSec={WATCHDOG_S}); journal: {watchdog}"
    )
    still = vm.must("systemctl show -p MainPID --value kiosk-relay")
    report.append(f"relay pid before {relay}, after {still}: {'kept running' if still == relay else 'RESTARTED'}")
    time.sleep(10)
    report.append(f"screen: {vm.screenshot('after-restarts')}")
    # As a county's configuration names them; this machine has no camera, no reader, no voice model
    # and no way to the province, and the doctor should tell each apart. Typed as root, as technicians do.
    devices = "KIOSK_CAMERA=/dev/video0 KIOSK_CARD_READER=/dev/ttyUSB0"
    status, doctor = vm.run(f"{devices} timeout 240 kiosk doctor", 300)  # a hung check is reported, not waited on
    report.append(f"kiosk doctor with {devices} (exit {status}):\n{doctor}")
    strays = vm.run("find /var/lib/kiosk ! -user kiosk")[1]
    report.append(f"files in /var/lib/kiosk that are not the kiosk user's: {strays or 'none'}")
    if strays:
        report.append("FAILED: the technician's commands left files the kiosk cannot use")


def sound(vm: Machine, report: list[str]) -> None:
    """Whether the kiosk user's PipeWire has the sound card, and whether the kiosk's speech reached it."""
    as_kiosk = "runuser -u kiosk -- env XDG_RUNTIME_DIR=/run/user/$(id -u kiosk)"
    sinks = vm.run(f"{as_kiosk} wpctl status | awk '/Sinks:/{{on=1; next}} /Sink endpoints:/{{exit}} on'")[1]
    refused = vm.run("journalctl -b -u kiosk-ui -o cat | grep -ci 'stream failed to connect'")[1]
    report.append(f"sound: PipeWire sinks of the kiosk user:\n{sinks or '(none)'}")
    report.append(f"sound: the kiosk's audio streams refused since boot: {refused}")
    if not re.search(r"\d+\. ", sinks) or refused not in ("", "0"):
        report.append("FAILED: the kiosk cannot play sound (see the two lines above)")


def diagnose(vm: Machine) -> str:
    """What the services say, for the report of a run that failed."""
    try:
        status = "systemctl --no-pager status kiosk-ui kiosk-relay | head -n 40"
        journal = "journalctl -b --no-pager -u kiosk-ui -u kiosk-relay | tail -n 30"
        return vm.run(f"{status}; {journal}", 120)[1]
    except Failed as failure:
        return f"(the machine did not answer: {failure})"


TOOLS = {"qemu-system-x86_64": "qemu-system-x86", "mke2fs": "e2fsprogs", "chroot": "coreutils"}


def preflight(args: argparse.Namespace, which=shutil.which, has_module=None) -> list[str]:
    """Everything this run will need, each missing piece as one line saying how to get it."""
    import importlib.util
    import os

    has_module = has_module or (lambda name: importlib.util.find_spec(name) is not None)
    problems = []
    if os.geteuid() != 0:
        problems.append("needs root (debootstrap, chroot, the disk image): run it with sudo")
    if not has_module("PySide6"):
        problems.append(f"{sys.executable} has no PySide6 (it saves the screenshots): run ./dev test once, then"
                        " sudo .venv/bin/python packaging/vmtest/boot_test.py BUNDLE")  # fmt: skip
    tools = dict(TOOLS) | ({} if (args.work / "debian12-root").exists() else {"debootstrap": "debootstrap"})
    problems += [f"{tool} missing: apt-get install {package}" for tool, package in tools.items() if not which(tool)]
    if args.accel == "kvm" and not os.access("/dev/kvm", os.R_OK | os.W_OK):
        problems.append("--accel kvm but /dev/kvm is not usable here: leave --accel out (software emulation)")
    if not args.installed and not args.bundle.is_file():
        problems.append(f"no bundle at {args.bundle}: python3 packaging/build_bundle.py writes one to dist/")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("bundle", type=Path)
    parser.add_argument("--accel", choices=sorted(ACCELERATORS), default="tcg")
    parser.add_argument("--work", type=Path, default=REPO / "build" / "vmtest")
    parser.add_argument("--installed", action="store_true", help="boot the disk a previous run installed")
    args = parser.parse_args(argv)
    problems = preflight(args)
    if problems:
        print("\n".join(f"boot_test: {problem}" for problem in problems), file=sys.stderr)
        return 2
    args.work.mkdir(parents=True, exist_ok=True)
    root, image = args.work / "debian12-root", args.work / "disk.raw"
    debootstrap(root)
    if not args.installed:
        disk_image(root, args.bundle.resolve(), image)
    report: list[str] = []
    vm = None
    try:
        vm = Machine(root, image, args.work, args.accel)
        if not args.installed:
            install(vm, args.bundle, report)
        supervised(vm, report)
    except Failed as failure:
        report.append(f"FAILED: {failure}")
        if vm is not None:
            report.append(diagnose(vm))
    finally:
        if vm is not None:
            vm.stop()
        text = "\n".join(report)
        (args.work / "report.txt").write_text(text + "\n", encoding="utf-8")
        print(text)
    return 1 if any(line.startswith("FAILED") for line in report) else 0


if __name__ == "__main__":
    sys.exit(main())
