/**
 * `node -r ./tools/bench/rusage.js <program>`: when the process exits, writes its own peak
 * resident memory and CPU time, as the kernel accounts them, to the file named by
 * BENCH_RUSAGE_FILE. Plain JavaScript, so it measures any Node program the same way
 * (this project's worker and the CDK peer's app alike) without changing it.
 */
"use strict";
const fs = require("fs");

const file = process.env.BENCH_RUSAGE_FILE;
if (file) {
    process.on("exit", () => {
        const usage = process.resourceUsage();
        fs.writeFileSync(file, JSON.stringify({ maxRssKiB: usage.maxRSS, userUs: usage.userCPUTime, systemUs: usage.systemCPUTime }));
    });
}
