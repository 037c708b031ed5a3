#!/usr/bin/env node
// placeholder, replaced by the WASM bridge
