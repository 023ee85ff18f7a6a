// Placeholder for root commands whose parts are not built yet: says what is missing and
// exits non-zero, so nobody mistakes it for a working command.
const [command, what] = process.argv.slice(2);
console.error(`npm run ${command}: not available yet — it needs ${what}.`);
process.exit(2);
