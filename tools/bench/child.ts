/**
 * How the bench's child processes (worker.ts, sdkFloor.ts) end: their result as one JSON line on stdout, which
 * the parent parses, exit 0; or the error on stderr, exit 1. A module of its own, so that the SDK-floor child
 * loads nothing of the project's plan engine.
 */
export function runChild(main: (argv: string[]) => Promise<unknown>): void {
    main(process.argv.slice(2)).then((result) => {
        console.log(JSON.stringify(result));
        process.exit(0);
    }, (err: Error) => {
        console.error(err.stack ?? String(err));
        process.exit(1);
    });
}
