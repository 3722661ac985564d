/* Static widgets: the notebooks' widgets on a page with no kernel (see widget_frames.py).
 *
 * Every picture was drawn at build time by the package's own code; this script only picks
 * the one for the controls' positions. Each .bp-sw holds its frames in a JSON script
 * (frames: {state key: [file, status HTML]}); a control's move builds the state key
 * ("name=value;..." as the picture's data-state), and the picture's src, its data-state and
 * the status change together, in the same task (so in the same painted frame).
 * Pictures are fetched when the widget comes near the viewport; the pictures one move away
 * from the current state are decoded ahead (img.decode()), so a move swaps to a decoded image.
 * Nothing is loaded from outside the site.
 */
(function () {
  "use strict";

  function StaticWidget(root) {
    this.root = root;
    var data = JSON.parse(root.querySelector("script.bp-sw-data").textContent);
    this.frames = data.frames;
    this.controls = data.controls;
    this.base = root.getAttribute("data-base") || "";
    this.pos = this.controls.map(function (c) { return c.value; });
    this.img = root.querySelector("img.bp-sw-picture");
    this.status = root.querySelector(".bp-sw-status");
    this.cache = {};            // file -> Image (fetched), with .bpDecoded once decoded
    this.loaded = false;
    this.tries = 1;             // settings looked at (a status may show it: span.bp-sw-tries)
    this.countTries();
    this.bind();
  }

  StaticWidget.prototype.key = function (pos) {
    var parts = [];
    for (var i = 0; i < this.controls.length; i++) {
      parts.push(this.controls[i].name + "=" + this.controls[i].keys[pos[i]]);
    }
    return parts.join(";");
  };

  StaticWidget.prototype.url = function (file) { return this.base + file; };

  StaticWidget.prototype.image = function (file) {
    var im = this.cache[file];
    if (!im) {
      im = new Image();
      im.decoding = "async";
      im.src = this.url(file);
      this.cache[file] = im;
    }
    return im;
  };

  StaticWidget.prototype.decode = function (file) {
    var im = this.image(file);
    if (im.bpDecoded || im.bpDecoding) return;
    im.bpDecoding = true;
    var done = function () { im.bpDecoded = true; };
    if (im.decode) im.decode().then(done, done); else im.onload = done;
  };

  /* every picture of the widget fetched (the browser's cache keeps them) */
  StaticWidget.prototype.loadAll = function () {
    if (this.loaded) return;
    this.loaded = true;
    var seen = {};
    for (var k in this.frames) {
      if (!seen[this.frames[k][0]]) { seen[this.frames[k][0]] = true; this.image(this.frames[k][0]); }
    }
    this.decodeNeighbours();
  };

  /* the states one move away: each control one position up or down (a menu: every option) */
  StaticWidget.prototype.neighbours = function () {
    var out = [];
    for (var i = 0; i < this.controls.length; i++) {
      var c = this.controls[i];
      if (!c.precomputed) continue;
      var cand = c.kind === "select" ? c.keys.map(function (_, j) { return j; })
        : [this.pos[i] - 1, this.pos[i] + 1, 0];
      for (var j = 0; j < cand.length; j++) {
        var p = cand[j];
        if (p < 0 || p >= c.keys.length || p === this.pos[i]) continue;
        var pos = this.pos.slice();
        pos[i] = p;
        var f = this.frames[this.key(pos)];
        if (f) out.push(f[0]);
      }
    }
    return out;
  };

  StaticWidget.prototype.decodeNeighbours = function () {
    var files = this.neighbours();
    for (var i = 0; i < files.length; i++) this.decode(files[i]);
  };

  /* show the state of positions `pos`: picture, data-state, status, readouts, together */
  StaticWidget.prototype.show = function (pos) {
    var key = this.key(pos);
    var frame = this.frames[key];
    if (!frame) return false;
    this.pos = pos;
    this.img.src = this.url(frame[0]);
    this.img.setAttribute("data-state", key);
    this.status.innerHTML = frame[1];
    this.tries += 1;
    this.countTries();
    this.syncControls();
    this.root.dispatchEvent(new CustomEvent("bp-sw-shown", {detail: {state: key}}));
    this.loadAll();
    this.decodeNeighbours();
    return true;
  };

  StaticWidget.prototype.countTries = function () {
    var spans = this.status.querySelectorAll(".bp-sw-tries");
    for (var i = 0; i < spans.length; i++) spans[i].textContent = String(this.tries);
  };

  StaticWidget.prototype.syncControls = function () {
    for (var i = 0; i < this.controls.length; i++) {
      var c = this.controls[i], p = this.pos[i];
      if (c.kind === "steps") {
        var back = this.root.querySelector('[data-step="back"]');
        var next = this.root.querySelector('[data-step="next"]');
        var label = this.root.querySelector(".bp-sw-position");
        if (back) back.disabled = p === 0;
        if (next) next.disabled = p === c.keys.length - 1;
        if (label) label.textContent = c.labels[p];
        continue;
      }
      var el = this.root.querySelector('[data-control="' + c.name + '"]');
      if (!el) continue;
      if (el.type === "range") {
        if (String(el.value) !== String(p)) el.value = p;
        el.setAttribute("aria-valuetext", c.labels[p]);
        var out = el.parentNode.querySelector("output");
        if (out) out.textContent = c.labels[p];
      } else if (el.type === "checkbox") {
        el.checked = c.keys[p] === "1";
      } else if (String(el.value) !== String(p)) {
        el.value = p;
      }
    }
  };

  StaticWidget.prototype.move = function (i, p) {
    var pos = this.pos.slice();
    pos[i] = p;
    if (!this.show(pos)) this.syncControls();   // not precomputed: put the control back
  };

  StaticWidget.prototype.bind = function () {
    var self = this;
    this.controls.forEach(function (c, i) {
      if (c.kind === "steps") {
        var go = {back: function () { return Math.max(0, self.pos[i] - 1); },
                  next: function () { return Math.min(c.keys.length - 1, self.pos[i] + 1); },
                  start: function () { return 0; }};
        Object.keys(go).forEach(function (action) {
          var b = self.root.querySelector('[data-step="' + action + '"]');
          if (b) b.addEventListener("click", function () { self.move(i, go[action]()); });
        });
        return;
      }
      var el = self.root.querySelector('[data-control="' + c.name + '"]');
      if (!el || el.disabled) return;
      var handler = function () {
        var p = el.type === "checkbox" ? c.keys.indexOf(el.checked ? "1" : "0") : parseInt(el.value, 10);
        if (p >= 0 && p !== self.pos[i]) self.move(i, p);
      };
      el.addEventListener(el.type === "range" ? "input" : "change", handler);
    });
    var warm = function () { self.loadAll(); };
    this.root.addEventListener("pointerenter", warm, {once: true});
    this.root.addEventListener("focusin", warm, {once: true});
    if ("IntersectionObserver" in window) {
      var io = new IntersectionObserver(function (entries) {
        entries.forEach(function (e) { if (e.isIntersecting) { warm(); io.disconnect(); } });
      }, {rootMargin: "400px"});
      io.observe(this.root);
    } else {
      warm();
    }
  };

  function init() {
    var roots = document.querySelectorAll(".bp-sw");
    window.bpStaticWidgets = [];
    for (var i = 0; i < roots.length; i++) {
      if (roots[i].bpWidget) continue;
      try {
        roots[i].bpWidget = new StaticWidget(roots[i]);
        window.bpStaticWidgets.push(roots[i].bpWidget);
      } catch (e) {
        if (window.console) console.error("static widget " + (roots[i].id || i) + ": " + e);
      }
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
