// LOLWUT's artworks as Redis 7.0 draws them: Schotter in braille dots (version 5), a skyline in colours (version 6).
package io.port6379.server.commands;

import io.port6379.server.util.RedisVersion;

import java.util.Random;

/**
 * Redis's {@code lolwut.c}, {@code lolwut5.c} and {@code lolwut6.c}: a canvas of pixels, Bresenham's lines, and two
 * renderings. The randomness is Redis's {@code rand()}, seeded per process, so only what does not depend on it is
 * the same on both servers: Schotter's first two rows of squares (nothing is displaced there), and a skyline one
 * row tall (no building fits).
 */
final class Lolwut {

    private final int width;
    private final int height;
    private final byte[] pixels;

    private Lolwut(int width, int height, int background) {
        this.width = width;
        this.height = height;
        this.pixels = new byte[Math.max(0, width * height)];
        java.util.Arrays.fill(pixels, (byte) background);
    }

    private void draw(int x, int y, int color) {
        if (x >= 0 && x < width && y >= 0 && y < height) {
            pixels[x + y * width] = (byte) color;
        }
    }

    private int pixel(int x, int y) {
        return x < 0 || x >= width || y < 0 || y >= height ? 0 : pixels[x + y * width];
    }

    /** Bresenham's line, as lwDrawLine. */
    private void line(int x1, int y1, int x2, int y2, int color) {
        int dx = Math.abs(x2 - x1);
        int dy = Math.abs(y2 - y1);
        int sx = x1 < x2 ? 1 : -1;
        int sy = y1 < y2 ? 1 : -1;
        int err = dx - dy;
        while (true) {
            draw(x1, y1, color);
            if (x1 == x2 && y1 == y2) {
                break;
            }
            int e2 = err * 2;
            if (e2 > -dy) {
                err -= dy;
                x1 += sx;
            }
            if (e2 < dx) {
                err += dx;
                y1 += sy;
            }
        }
    }

    /** lwDrawSquare: the four corners on a circle, from PI/4 plus the angle, in C's float and double steps. */
    private void square(int x, int y, float size, float angle, int color) {
        int[] px = new int[4];
        int[] py = new int[4];
        size = (float) (size / 1.4142135623); // the side of a square inscribed in a circle of radius 1 is sqrt(2)
        size = (float) cRound(size);
        float k = (float) (Math.PI / 4 + angle);
        for (int j = 0; j < 4; j++) {
            px[j] = (int) cRound(Math.sin(k) * size + x);
            py[j] = (int) cRound(Math.cos(k) * size + y);
            k = (float) (k + Math.PI / 2);
        }
        for (int j = 0; j < 4; j++) {
            line(px[j], py[j], px[(j + 1) % 4], py[(j + 1) % 4], color);
        }
    }

    /** C's round(): halves away from zero. */
    private static double cRound(double v) {
        return v >= 0 ? Math.floor(v + 0.5) : -Math.floor(-v + 0.5);
    }

    // tag::schotter[]
    /** LOLWUT VERSION 5 [columns [squares per row [squares per column]]]: Georg Nees's Schotter, 1968. */
    static String schotter(long columns, long perRow, long perColumn, Random random) {
        int cols = (int) Math.clamp(columns, 1, 1000);
        int squaresPerRow = (int) Math.clamp(perRow, 1, 200);
        int squaresPerCol = (int) Math.clamp(perColumn, 1, 200);
        int canvasWidth = cols * 2;
        int padding = canvasWidth > 4 ? 2 : 0;
        float side = (float) (canvasWidth - padding * 2) / squaresPerRow;
        Lolwut canvas = new Lolwut(canvasWidth, (int) (side * squaresPerCol + padding * 2), 0);
        for (int y = 0; y < squaresPerCol; y++) {
            for (int x = 0; x < squaresPerRow; x++) {
                int sx = (int) (x * side + side / 2 + padding);
                int sy = (int) (y * side + side / 2 + padding);
                float angle = 0;
                if (y > 1) { // lower rows turn and move more and more
                    float r1 = random.nextFloat() / squaresPerCol * y;
                    float r2 = random.nextFloat() / squaresPerCol * y;
                    float r3 = random.nextFloat() / squaresPerCol * y;
                    r1 = random.nextBoolean() ? -r1 : r1;
                    r2 = random.nextBoolean() ? -r2 : r2;
                    r3 = random.nextBoolean() ? -r3 : r3;
                    angle = r1;
                    sx = (int) (sx + r2 * side / 3);
                    sy = (int) (sy + r3 * side / 3);
                }
                canvas.square(sx, sy, side, angle, 1);
            }
        }
        return canvas.braille() + "\nGeorg Nees - schotter, plotter on paper, 1968. Redis ver. "
                + RedisVersion.REDIS_VERSION + "\n";
    }
    // end::schotter[]

    /** Each 2×4 block of pixels as one braille character (U+2800 plus the dots' bits), lines of width/2. */
    private String braille() {
        StringBuilder text = new StringBuilder();
        for (int y = 0; y < height; y += 4) {
            for (int x = 0; x < width; x += 2) {
                int dots = pixel(x, y) | pixel(x, y + 1) << 1 | pixel(x, y + 2) << 2 | pixel(x + 1, y) << 3
                        | pixel(x + 1, y + 1) << 4 | pixel(x + 1, y + 2) << 5 | pixel(x, y + 3) << 6 | pixel(x + 1, y + 3) << 7;
                text.append((char) (0x2800 + dots));
            }
            if (y != height - 1) {
                text.append('\n');
            }
        }
        return text.toString();
    }

    /** LOLWUT VERSION 6 [columns [rows]]: a skyline after the 8-bit game Plaguemon, in four greys. */
    static String skyline(long columns, long rows, Random random) {
        Lolwut canvas = new Lolwut((int) Math.clamp(columns, 1, 1000), (int) Math.clamp(rows, 1, 1000), 3);
        for (int color = 2; color >= 1; color--) { // the lighter buildings behind, without windows
            for (int offset = -10; offset < canvas.width; ) {
                offset += rand(random) % 8;
                int width = 10 + rand(random) % 9;
                int height = canvas.height / 2 + rand(random) % canvas.height / (color == 2 ? 2 : 3);
                canvas.skyscraper(offset, width, height, false, color, random);
                offset += color == 2 ? width / 2 : width + 1;
            }
        }
        for (int offset = -10; offset < canvas.width; ) { // the black ones in front, with windows
            offset += rand(random) % 8;
            int width = 5 + rand(random) % 14;
            if (width % 4 != 0) {
                width += width % 3;
            }
            int height = canvas.height / 3 + rand(random) % canvas.height / 2;
            canvas.skyscraper(offset, width, height, true, 0, random);
            offset += width + 5;
        }
        StringBuilder text = new StringBuilder();
        for (int y = 0; y < canvas.height; y++) {
            for (int x = 0; x < canvas.width; x++) {
                String code = switch (canvas.pixel(x, y)) {
                    case 1 -> "0;90;100m";
                    case 2 -> "0;37;47m";
                    case 3 -> "0;97;107m";
                    default -> "0;30;40m";
                };
                text.append("\033[").append(code).append(" \033[0m");
            }
            if (y != canvas.height - 1) {
                text.append('\n');
            }
        }
        return text.append("\nDedicated to the 8 bit game developers of past and present.\n")
                .append("Original 8 bit image from Plaguemon by hikikomori. Redis ver. ")
                .append(RedisVersion.REDIS_VERSION).append('\n').toString();
    }

    /** generateSkyscraper: a block from the bottom, its roof two pixels narrower each side, windows in two greys. */
    private void skyscraper(int xoff, int buildingWidth, int buildingHeight, boolean windows, int color, Random random) {
        int starty = height - 1;
        int endy = starty - buildingHeight + 1;
        for (int y = starty; y >= endy; y--) {
            for (int x = xoff; x < xoff + buildingWidth; x++) {
                if (y == endy && (x <= xoff + 1 || x >= xoff + buildingWidth - 2)) {
                    continue;
                }
                int c = color;
                if (windows && x > xoff + 1 && x < xoff + buildingWidth - 2 && y > endy + 1 && y < starty - 1) {
                    int relx = x - (xoff + 1);
                    int rely = y - (endy + 1);
                    if (relx / 2 % 2 != 0 && rely % 2 != 0) {
                        do {
                            c = 1 + rand(random) % 2;
                        } while (c == color);
                        if (relx % 2 != 0) {
                            c = pixel(x - 1, y);
                        }
                    }
                }
                draw(x, y, c);
            }
        }
    }

    /** C's rand(): 0..RAND_MAX (2^31 - 1). */
    private static int rand(Random random) {
        return random.nextInt() >>> 1;
    }
}
