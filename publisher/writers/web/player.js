/* Listen while you read: the section's audio highlights the sentence being
   spoken, keeps it in view and never moves focus; tapping a sentence plays
   from it; "pause after each sentence" and the speed are options. Reading
   comfort settings persist on the device. Everything here is an enhancement:
   with JavaScript off the page is the whole text and a plain audio player.

   The page provides:
   - <audio data-player> with controls, the section's MP3;
   - <script type="application/json" id="timings">[{"id","start","end"}…]</script>,
     the same sentence timings as the EPUB's media overlays;
   - elements whose id is a sentence id (s2-5, t-1, c-3);
   - [data-listen-options], [data-listen-hint] and [data-comfort] regions,
     hidden until this runs; buttons [data-step="-1"|"1"] in the options go
     back or on a sentence: the keyboard's way to what a tap does.
   Loaded in the <head> without defer, so the chosen colours apply before the
   first paint; the rest waits for the page. */
(function () {
  "use strict";
  var ACTIVE = "reading-now";
  var STORE = "publisher-comfort";
  var root = document.documentElement;

  function reducedMotion() {
    return window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  }

  /* -- reading comfort ------------------------------------------------------ */
  function loadComfort() {
    try { return JSON.parse(window.localStorage.getItem(STORE)) || {}; } catch (e) { return {}; }
  }
  function saveComfort(settings) {
    try { window.localStorage.setItem(STORE, JSON.stringify(settings)); } catch (e) { /* private mode */ }
  }
  function applyComfort(settings) {
    ["size", "spacing", "theme", "dyslexia"].forEach(function (name) {
      if (settings[name]) { root.setAttribute("data-" + name, settings[name]); }
      else { root.removeAttribute("data-" + name); }
    });
  }
  var comfort = loadComfort();
  applyComfort(comfort);

  function wireComfort() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-comfort]"), function (form) {
      form.hidden = false;
      Array.prototype.forEach.call(form.querySelectorAll("[name]"), function (control) {
        var saved = comfort[control.name];
        if (control.type === "checkbox") { control.checked = saved === control.value; }
        else if (saved) { control.value = saved; }
        control.addEventListener("change", function () {
          comfort[control.name] = control.type === "checkbox" ? (control.checked ? control.value : "") : control.value;
          applyComfort(comfort);
          saveComfort(comfort);
        });
      });
    });
  }

  /* -- listen while you read ------------------------------------------------ */
  function listen() {
    var audio = document.querySelector("audio[data-player]");
    var data = document.getElementById("timings");
    if (!audio || !data) { return; }
    var timings;
    try { timings = JSON.parse(data.textContent); } catch (e) { return; }
    var clips = timings.filter(function (t) { return document.getElementById(t.id); });
    if (!clips.length) { return; }
    var options = document.querySelector("[data-listen-options]");
    var hint = document.querySelector("[data-listen-hint]");
    var pauseAfter = options && options.querySelector("[name=pause-after]");
    var speed = options && options.querySelector("[name=speed]");
    if (options) { options.hidden = false; }
    if (hint) { hint.hidden = false; }
    function setSpeed(value) {
      var rate = parseFloat(value) || 1;
      audio.defaultPlaybackRate = rate;
      audio.playbackRate = rate;
    }
    if (speed) {
      if (comfort.speed) { speed.value = comfort.speed; setSpeed(comfort.speed); }
      speed.addEventListener("change", function () {
        setSpeed(speed.value);
        comfort.speed = speed.value;
        saveComfort(comfort);
      });
    }

    var current = -1;
    var stopAt = null;

    function clipAt(time) {
      for (var n = 0; n < clips.length; n++) {
        if (time >= clips[n].start && time < clips[n].end) { return n; }
        if (time < clips[n].start) { return -1; }
      }
      return -1;
    }
    function show(n) {
      if (n === current) { return; }
      if (current >= 0) { document.getElementById(clips[current].id).classList.remove(ACTIVE); }
      current = n;
      if (n < 0) { return; }
      var element = document.getElementById(clips[n].id);
      element.classList.add(ACTIVE);
      var box = element.getBoundingClientRect();
      if (box.top < 0 || box.bottom > window.innerHeight) {  // kept in view; focus stays where it is
        element.scrollIntoView({ block: "center", behavior: reducedMotion() ? "auto" : "smooth" });
      }
    }
    function tick() {
      var n = clipAt(audio.currentTime);
      show(n);  // between clips (a pause, "A quote.") no sentence is lit: its words are spoken
      if (pauseAfter && pauseAfter.checked && n >= 0 && stopAt === null) { stopAt = clips[n].end; }
      if (stopAt !== null && audio.currentTime >= stopAt) {
        stopAt = null;
        audio.pause();
      }
      if (!audio.paused) { window.requestAnimationFrame(tick); }
    }
    function playFrom(n) {
      audio.currentTime = clips[n].start + 0.001;
      show(n);
      var playing = audio.play();
      if (playing && playing.catch) { playing.catch(function () { /* the reader presses play */ }); }
    }
    audio.addEventListener("play", function () { stopAt = null; window.requestAnimationFrame(tick); });
    audio.addEventListener("seeked", function () { stopAt = null; show(clipAt(audio.currentTime)); });
    audio.addEventListener("timeupdate", function () { if (audio.paused) { show(clipAt(audio.currentTime)); } });
    audio.addEventListener("ended", function () { show(-1); });

    clips.forEach(function (clip, n) {
      var element = document.getElementById(clip.id);
      element.classList.add("playable");
      element.addEventListener("click", function (event) {
        if (event.target.closest && event.target.closest("a")) { return; }  // a link still goes where it says
        playFrom(n);
      });
    });
    if (options) {
      Array.prototype.forEach.call(options.querySelectorAll("[data-step]"), function (button) {
        button.addEventListener("click", function () {
          var step = parseInt(button.getAttribute("data-step"), 10);
          var from = current >= 0 ? current : (step > 0 ? -1 : clips.length);
          playFrom(Math.max(0, Math.min(clips.length - 1, from + step)));
        });
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { wireComfort(); listen(); });
  } else {
    wireComfort();
    listen();
  }
}());
