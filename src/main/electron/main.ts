// placeholder until the Electron host lands
export {}
