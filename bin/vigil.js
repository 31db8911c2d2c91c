#!/usr/bin/env node
// The `vigil` command. Plain JavaScript so that an older Node can at least say what is wrong:
// the CLI itself is TypeScript run by Node 24's type stripping.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  console.error(
    `vigil: needs Node 24 or later (this is Node ${process.versions.node}); from the project, \`npm run vigil -- <args>\` or \`npx vigil\` uses its pinned Node.`,
  );
  process.exit(1);
}
const { main } = await import('../src/cli/main.ts');
await main(process.argv);
