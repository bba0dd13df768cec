// placeholder until the preload lands
export {}
