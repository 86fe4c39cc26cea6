// Preloaded (`node -r`) by the bench's "type-checked while loading" row: ts-node with type checking.
// `ts-node/register` alone would not type-check here: tsconfig.json's `ts-node.transpileOnly` wins over
// its defaults and over TS_NODE_TRANSPILE_ONLY; only options passed to register() override the file.
require("ts-node").register({ transpileOnly: false });
