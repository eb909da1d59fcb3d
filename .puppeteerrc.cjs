// Berdaya never downloads a browser at install time: whatsapp-web.js drives Debian's Chromium
// (apt-get install chromium), found at CHROMIUM_PATH or /usr/bin/chromium.
const { existsSync } = require("node:fs");

/** @type {import("puppeteer").Configuration} */
module.exports = {
  skipDownload: true,
  ...(existsSync("/usr/bin/chromium") ? { executablePath: "/usr/bin/chromium" } : {}),
};
