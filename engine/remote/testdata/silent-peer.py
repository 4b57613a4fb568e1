#!/usr/bin/env python3
"""Peers that stay alive but stop talking, for silence-test.sh.

  silent-peer.py executor REPLIES PART EXECUTOR... IN-FD OUT-FD
      An "executor" for a controller (jitload run -mcjit-remote-process=...):
      starts the real EXECUTOR on pipes of its own and relays every message
      both ways until it has relayed REPLIES messages from the executor
      (Setup counts); of the next one it relays PART bytes (0: none), then
      relays nothing more and sleeps, alive, until it is killed.
  silent-peer.py controller PART EXECUTOR...
      A "controller" for EXECUTOR (jitload-executor): starts it on two
      pipes, reads its Setup, sends PART bytes of a message header (0: none)
      and then nothing. Prints what the executor sent afterwards (opcode of
      a Hangup and its text), its exit status and how long it took.
"""
import os
import select
import struct
import subprocess
import sys
import threading
import time


def read_exact(fd, n):
    data = b""
    while len(data) < n:
        chunk = os.read(fd, n - len(data))
        if not chunk:
            return data
        data += chunk
    return data


def read_message(fd):
    head = read_exact(fd, 32)
    if len(head) < 32:
        return None
    size = struct.unpack("<Q", head[:8])[0]
    return head + read_exact(fd, size - 32)


def write_all(fd, data):
    while data:
        data = data[os.write(fd, data):]


def executor_mode(replies, part, command, ctl_in, ctl_out):
    to_exec_r, to_exec_w = os.pipe()
    from_exec_r, from_exec_w = os.pipe()
    child = subprocess.Popen(command + [str(to_exec_r), str(from_exec_w)], pass_fds=(to_exec_r, from_exec_w))
    os.close(to_exec_r)
    os.close(from_exec_w)

    def controller_to_executor():
        while True:
            m = read_message(ctl_in)
            if m is None:
                os.close(to_exec_w)
                return
            write_all(to_exec_w, m)

    threading.Thread(target=controller_to_executor, daemon=True).start()
    relayed = 0
    while True:
        m = read_message(from_exec_r)
        if m is None:
            break
        if relayed < replies:
            write_all(ctl_out, m)
            relayed += 1
            continue
        if part:
            write_all(ctl_out, m[:part])
        break
    # Alive and silent until killed (the controller's timeout).
    while True:
        time.sleep(3600)


def controller_mode(part, command):
    to_exec_r, to_exec_w = os.pipe()
    from_exec_r, from_exec_w = os.pipe()
    start = time.monotonic()
    child = subprocess.Popen(command + [str(to_exec_r), str(from_exec_w)], pass_fds=(to_exec_r, from_exec_w),
                             stderr=subprocess.PIPE)
    os.close(to_exec_r)
    os.close(from_exec_w)
    setup = read_message(from_exec_r)
    print("setup: %s" % ("received" if setup and struct.unpack("<Q", setup[8:16])[0] == 0 else "missing"))
    if part:
        write_all(to_exec_w, struct.pack("<QQQQ", 64, 3, 1, 0)[:part])
    # Silent from here; the executor must give up by itself.
    after = read_message(from_exec_r)
    if after is not None:
        opcode = struct.unpack("<Q", after[8:16])[0]
        text = after[32:].decode("latin-1")
        print("executor sent opcode %d: %s" % (opcode, "".join(c for c in text if c.isprintable())))
    else:
        print("executor sent nothing more")
    try:
        status = child.wait(timeout=120)
    except subprocess.TimeoutExpired:
        child.kill()
        status = "still running after 120 s"
    print("executor status: %s after %.1f s" % (status, time.monotonic() - start))
    print("executor stderr: %s" % child.stderr.read().decode().strip())


if __name__ == "__main__":
    if sys.argv[1] == "executor":
        executor_mode(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:-2], int(sys.argv[-2]), int(sys.argv[-1]))
    elif sys.argv[1] == "controller":
        controller_mode(int(sys.argv[2]), sys.argv[3:])
    else:
        sys.exit("usage: silent-peer.py executor REPLIES PART EXECUTOR... IN OUT | controller PART EXECUTOR...")
