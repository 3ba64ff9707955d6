/* The web edition in a real browser: Debian's Chromium, driven by puppeteer-core.
   Run by publisher/checks/web.py as
     node web_browser.js '<json settings>'
   with settings {chromium, modules, folder, pages, widths, themes, tags, screenshots, shots}
   and prints one JSON object: for every page, what the browser saw. The
   judging is done in Python; this only looks and measures. */
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const url = require("url");

const settings = JSON.parse(process.argv[2]);
const puppeteer = require(path.join(settings.modules, "puppeteer-core"));
const AXE = path.join(settings.modules, "axe-core", "axe.min.js");
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--autoplay-policy=no-user-gesture-required", "--mute-audio"];

async function open(browser, name, { width, theme, javascript }) {
  const page = await browser.newPage();
  const requests = [];
  await page.setRequestInterception(true);
  page.on("request", (request) => {
    requests.push(request.url());
    const inside = request.url().startsWith(url.pathToFileURL(settings.folder).href + "/")
      || request.url().startsWith("data:");
    if (inside) { request.continue(); } else { request.abort(); }
  });
  await page.setJavaScriptEnabled(javascript);
  await page.setViewport({ width, height: width < 600 ? 844 : 800 });
  await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: theme },
    { name: "prefers-reduced-motion", value: "reduce" }]);
  await page.goto(url.pathToFileURL(path.join(settings.folder, name)).href, { waitUntil: "load" });
  return { page, requests };
}

async function axe(page) {
  await page.addScriptTag({ content: fs.readFileSync(AXE, "utf8") });
  return page.evaluate(async (tags) => {
    const result = await window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) }));
  }, settings.tags);
}

/* The player: seek through every timing and note which sentence is highlighted;
   click one sentence and note where the audio went; press "next sentence"
   from the keyboard and note where the focus is. */
async function player(page) {
  return page.evaluate(async () => {
    const audio = document.querySelector("audio[data-player]");
    const data = document.getElementById("timings");
    if (!audio || !data) { return null; }
    const timings = JSON.parse(data.textContent);
    if (audio.readyState < 1) {
      await new Promise((resolve) => {
        audio.addEventListener("loadedmetadata", resolve, { once: true });
        setTimeout(resolve, 5000);
        audio.load();
      });
    }
    const seeked = () => new Promise((resolve) => {
      audio.addEventListener("seeked", resolve, { once: true });
      setTimeout(resolve, 2000);
    });
    const highlighted = () => Array.from(document.querySelectorAll(".reading-now")).map((e) => e.id);
    const sequence = [];
    for (const timing of timings) {
      const done = seeked();
      audio.currentTime = (timing.start + timing.end) / 2;
      await done;
      sequence.push(highlighted());
    }
    const present = timings.map((t) => document.getElementById(t.id) !== null);
    return { timings, present, sequence, readyState: audio.readyState, duration: audio.duration };
  });
}

async function click(page, timing) {
  await page.evaluate((id) => document.getElementById(id).scrollIntoView({ block: "center" }), timing.id);
  await page.click("#" + timing.id);
  const after = await page.evaluate(() => {
    const audio = document.querySelector("audio[data-player]");
    const state = { time: audio.currentTime, highlighted: Array.from(document.querySelectorAll(".reading-now")).map((e) => e.id) };
    audio.pause();
    return state;
  });
  return after;
}

async function keyboard(page) {
  const button = await page.$("[data-step='1']");
  if (!button) { return null; }
  await button.focus();
  await page.keyboard.press("Enter");
  await new Promise((resolve) => setTimeout(resolve, 100));
  return page.evaluate(() => {
    const audio = document.querySelector("audio[data-player]");
    audio.pause();
    return { focused: document.activeElement && document.activeElement.getAttribute("data-step"),
      highlighted: Array.from(document.querySelectorAll(".reading-now")).map((e) => e.id) };
  });
}

async function main() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "web-check-"));
  const browser = await puppeteer.launch({ executablePath: settings.chromium, headless: true, args: FLAGS,
    userDataDir: profile });
  const report = {};
  try {
    for (const name of settings.pages) {
      const seen = { axe: {}, requests: [], outside: [] };
      for (const width of settings.widths) {
        for (const theme of settings.themes) {
          const { page, requests } = await open(browser, name, { width, theme, javascript: true });
          seen.requests.push(...requests);
          if (seen.paint === undefined) {
            seen.paint = await page.evaluate(() => new Promise((resolve) => {
              new PerformanceObserver((list) => {
                const paint = list.getEntries().find((e) => e.name === "first-contentful-paint");
                if (paint) { resolve(paint.startTime); }
              }).observe({ type: "paint", buffered: true });
              setTimeout(() => resolve(null), 3000);
            }));
          }
          seen.axe[`${width} ${theme}`] = await axe(page);
          if (settings.shots.includes(name) && settings.screenshots) {
            const file = path.join(settings.screenshots, `${path.parse(name).name}-${width}-${theme}.png`);
            await page.screenshot({ path: file });
          }
          await page.close();
        }
      }
      { // with JavaScript: the player; without: the text
        const { page, requests } = await open(browser, name, { width: settings.widths[0], theme: "light", javascript: true });
        seen.player = await player(page);
        // a click on a sentence that is not the first (whose clip starts near 0 anyway)
        const target = seen.player && seen.player.timings.find((t, n) => n > 0 && seen.player.present[n]);
        if (target) {
          seen.click = { ...(await click(page, target)), timing: target };
          seen.keyboard = await keyboard(page);
        }
        seen.requests.push(...requests);
        await page.close();
      }
      {
        const { page, requests } = await open(browser, name, { width: settings.widths[0], theme: "light", javascript: false });
        seen.text = await page.evaluate(() => document.body.innerText);
        seen.requests.push(...requests);
        await page.close();
      }
      const base = url.pathToFileURL(settings.folder).href + "/";
      seen.outside = [...new Set(seen.requests.filter((r) => !r.startsWith(base) && !r.startsWith("data:")))];
      seen.requests = [...new Set(seen.requests.filter((r) => r.startsWith(base)).map((r) => decodeURIComponent(r.slice(base.length).split("#")[0])))];
      report[name] = seen;
    }
  } finally {
    await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  process.stdout.write(JSON.stringify(report));
}

main().catch((error) => { process.stderr.write(String(error && error.stack || error) + "\n"); process.exit(1); });
