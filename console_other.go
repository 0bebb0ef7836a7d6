//go:build !windows

package main

// attachConsole is needed only on Windows, where the release exe is a
// GUI-subsystem program; elsewhere a command's output goes where it always does.
func attachConsole() {}
