package main

import (
	"os"
	"syscall"
)

// attachConsole gives a command typed in cmd.exe or PowerShell somewhere to
// print. The release exe is a GUI-subsystem program (no console window
// flashes up when an officer double-clicks it), so Windows starts it with no
// standard output; a command attaches to the console of the shell that ran
// it. Output redirected to a file or pipe already has a handle and is left alone.
func attachConsole() {
	if os.Stdout != nil && os.Stderr != nil {
		return
	}
	attach := syscall.NewLazyDLL("kernel32.dll").NewProc("AttachConsole")
	const attachParentProcess = 0xFFFFFFFF // ATTACH_PARENT_PROCESS, (DWORD)-1
	if ok, _, _ := attach.Call(attachParentProcess); ok == 0 {
		return // started from Explorer: there is no console to attach to
	}
	if out, err := os.OpenFile("CONOUT$", os.O_WRONLY, 0); err == nil {
		if os.Stdout == nil {
			os.Stdout = out
		}
		if os.Stderr == nil {
			os.Stderr = out
		}
	}
	if in, err := os.OpenFile("CONIN$", os.O_RDWR, 0); err == nil && os.Stdin == nil {
		os.Stdin = in
	}
}
