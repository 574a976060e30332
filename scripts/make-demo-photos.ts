// Makes the synthetic ID-card-style photos of the demo data (resources/demo/photo-N.jpg):
// a plain blue background and a head-and-shoulders silhouette — no real person.
import { mkdirSync, writeFileSync } from 'node:fs'
import jpeg from 'jpeg-js'

const WIDTH = 358
const HEIGHT = 441

function photo(seed: number): Buffer {
  const data = Buffer.alloc(WIDTH * HEIGHT * 4)
  const skin = [
    [236, 200, 170],
    [222, 184, 150],
    [240, 210, 186],
  ][seed % 3]
  const shirt = [
    [40, 48, 70],
    [230, 230, 235],
    [60, 70, 90],
  ][seed % 3]
  for (let y = 0; y < HEIGHT; y += 1) {
    for (let x = 0; x < WIDTH; x += 1) {
      const offset = (y * WIDTH + x) * 4
      let colour = [67 + Math.round((y / HEIGHT) * 20), 142, 219]
      const head = ((x - WIDTH / 2) / 78) ** 2 + ((y - 170) / 100) ** 2 <= 1
      const hair = ((x - WIDTH / 2) / 84) ** 2 + ((y - 140) / 80) ** 2 <= 1 && y < 150
      const neck = Math.abs(x - WIDTH / 2) < 34 && y > 250 && y < 320
      const shoulders = y > 300 && ((x - WIDTH / 2) / 170) ** 2 + ((y - 470) / 170) ** 2 <= 1
      if (shoulders) colour = shirt
      else if (neck || head) colour = skin
      if (hair) colour = [30, 26, 24]
      // A little deterministic grain so the JPEG is the size of a real photo (~20 KB).
      const grain = ((x * 7919 + y * 104729 + seed * 31) % 13) - 6
      data[offset] = Math.max(0, Math.min(255, colour[0] + grain))
      data[offset + 1] = Math.max(0, Math.min(255, colour[1] + grain))
      data[offset + 2] = Math.max(0, Math.min(255, colour[2] + grain))
      data[offset + 3] = 255
    }
  }
  return jpeg.encode({ data, width: WIDTH, height: HEIGHT }, 80).data
}

mkdirSync('resources/demo', { recursive: true })
for (let index = 1; index <= 3; index += 1) {
  const bytes = photo(index)
  writeFileSync(`resources/demo/photo-${index}.jpg`, bytes)
  console.log(`resources/demo/photo-${index}.jpg ${bytes.length} bytes`)
}
