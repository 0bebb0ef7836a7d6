package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// chromium drives a headless Chromium over the DevTools protocol on a pipe
// (--remote-debugging-pipe: JSON messages ending in a NUL byte, commands
// on fd 3, answers and events on fd 4), which shows what the browser
// received: status, headers, the rendered text.
type chromium struct {
	t       *testing.T
	in      io.Writer
	out     *bufio.Reader
	id      int
	session string
	events  []cdpMessage
}

type cdpMessage struct {
	ID        int             `json:"id,omitempty"`
	Method    string          `json:"method,omitempty"`
	Params    json.RawMessage `json:"params,omitempty"`
	Result    json.RawMessage `json:"result,omitempty"`
	Error     *struct{ Message string }
	SessionID string `json:"sessionId,omitempty"`
}

// chromiumBinary finds Chromium; without it the test is skipped, except on
// CI (CI=true), where .ci/run installs it and its absence is a failure.
func chromiumBinary(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("Chromium missing on CI: .ci/run installs the chromium package")
	}
	t.Skip("no Chromium installed (Debian package chromium)")
	return ""
}

// startChromium starts a headless Chromium and attaches to its page;
// extra flags go to its command line.
func startChromium(t *testing.T, extra ...string) *chromium {
	bin := chromiumBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	cmdR, cmdW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	// Not t.TempDir: Chromium's helper processes may still write to the
	// profile for a moment after the browser is killed, and t.TempDir's
	// removal then fails the test.
	profile, err := os.MkdirTemp("", "countyd-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	args := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
		"--user-data-dir=" + profile, "--remote-debugging-pipe"}, extra...)
	cmd := exec.CommandContext(ctx, bin, append(args, "about:blank")...)
	cmd.ExtraFiles = []*os.File{cmdR, outW}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // so that its helpers die with it
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	cmdR.Close()
	outW.Close()
	t.Cleanup(func() {
		cmdW.Close()
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // the browser's whole process group
		cmd.Wait()
		removeProfile(profile)
	})
	c := &chromium{t: t, in: cmdW, out: bufio.NewReader(outR)}
	c.attach()
	return c
}

// removeProfile removes a Chromium profile folder, trying again for a few
// seconds while a dying helper process still writes to it.
func removeProfile(dir string) {
	for i := 0; i < 50; i++ {
		if os.RemoveAll(dir) == nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (c *chromium) attach() {
	var targets struct {
		TargetInfos []struct{ TargetID, Type string }
	}
	c.call("Target.getTargets", nil, &targets)
	for _, ti := range targets.TargetInfos {
		if ti.Type == "page" {
			var at struct{ SessionID string }
			c.call("Target.attachToTarget", map[string]any{"targetId": ti.TargetID, "flatten": true}, &at)
			c.session = at.SessionID
			c.call("Network.enable", nil, nil)
			c.call("Page.enable", nil, nil)
			return
		}
	}
	c.t.Fatal("Chromium has no page")
}

// call sends a command (to the attached page once there is one) and
// returns its result, keeping the events that arrive meanwhile.
func (c *chromium) call(method string, params, result any) {
	c.t.Helper()
	c.id++
	msg, _ := json.Marshal(map[string]any{"id": c.id, "method": method, "params": orEmpty(params), "sessionId": c.session})
	if c.session == "" {
		msg, _ = json.Marshal(map[string]any{"id": c.id, "method": method, "params": orEmpty(params)})
	}
	if _, err := c.in.Write(append(msg, 0)); err != nil {
		c.t.Fatalf("%s: %v", method, err)
	}
	for {
		m := c.read()
		if m.ID != c.id {
			c.events = append(c.events, m)
			continue
		}
		if m.Error != nil {
			c.t.Fatalf("%s: %s", method, m.Error.Message)
		}
		if result != nil {
			json.Unmarshal(m.Result, result)
		}
		return
	}
}

func orEmpty(params any) any {
	if params == nil {
		return map[string]any{}
	}
	return params
}

func (c *chromium) read() cdpMessage {
	c.t.Helper()
	line, err := c.out.ReadBytes(0)
	if err != nil {
		c.t.Fatalf("Chromium's DevTools pipe: %v", err)
	}
	var m cdpMessage
	if os.Getenv("CDP_DEBUG") != "" {
		fmt.Fprintf(os.Stderr, "cdp: %.300s\n", line)
	}
	if err := json.Unmarshal(line[:len(line)-1], &m); err != nil {
		c.t.Fatalf("DevTools message %q: %v", line, err)
	}
	return m
}

// waitEvent returns the first event of a method, kept or still to come.
func (c *chromium) waitEvent(method string) cdpMessage {
	c.t.Helper()
	for i, m := range c.events {
		if m.Method == method {
			c.events = append(c.events[:i:i], c.events[i+1:]...)
			return m
		}
	}
	for {
		if m := c.read(); m.Method == method {
			return m
		} else {
			c.events = append(c.events, m)
		}
	}
}

// pageResponse is the main document's response as the browser saw it.
type pageResponse struct {
	Status  int
	Headers map[string]string
}

// open navigates to url and returns the document's response once loaded.
func (c *chromium) open(url string) pageResponse {
	c.t.Helper()
	c.events = nil
	c.call("Page.navigate", map[string]any{"url": url}, nil)
	return c.awaitDocument()
}

// submit runs an expression that submits a form (DevTools may run it
// under a policy that forbids the page's own scripts), and returns the
// response of the document it leads to, after any redirect.
func (c *chromium) submit(expr string) pageResponse {
	c.t.Helper()
	c.events = nil
	c.eval(expr)
	return c.awaitDocument()
}

// awaitDocument waits for the main document's response and its load.
func (c *chromium) awaitDocument() pageResponse {
	c.t.Helper()
	for {
		ev := c.waitEvent("Network.responseReceived")
		var p struct {
			Type     string
			Response struct {
				Status  int
				Headers map[string]string
			}
		}
		json.Unmarshal(ev.Params, &p)
		if p.Type == "Document" {
			c.waitEvent("Page.loadEventFired")
			h := map[string]string{}
			for k, v := range p.Response.Headers {
				h[strings.ToLower(k)] = v
			}
			return pageResponse{Status: p.Response.Status, Headers: h}
		}
	}
}

// eval evaluates a JavaScript expression in the page (DevTools may, even
// where the page's policy forbids scripts) and returns its value as text.
func (c *chromium) eval(expr string) string {
	c.t.Helper()
	var r struct{ Result struct{ Value any } }
	c.call("Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true}, &r)
	return fmt.Sprint(r.Result.Value)
}
