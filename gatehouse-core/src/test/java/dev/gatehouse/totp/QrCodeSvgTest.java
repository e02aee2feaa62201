package dev.gatehouse.totp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.common.BitMatrix;
import com.google.zxing.common.DecoderResult;
import com.google.zxing.qrcode.decoder.Decoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class QrCodeSvgTest {

    @Test
    void theSvgDecodesBackToTheUri() throws Exception {
        String uri = Totp.fromBase32("LHV73P6XLLF5SW4LOEHCCJGEXBLSVRJY").uri("tom.totp@example.com", "fs-ref");
        String dataUri = QrCodeSvg.dataUri(uri);
        assertThat(dataUri).startsWith("data:image/svg+xml;base64,");
        String svg = new String(Base64.getDecoder().decode(dataUri.substring(dataUri.indexOf(',') + 1)), StandardCharsets.UTF_8);
        assertThat(svg).startsWith("<?xml").contains("<svg xmlns=\"http://www.w3.org/2000/svg\"");

        // Redraw the modules from the path, drop the quiet zone, and let ZXing's decoder read them.
        Matcher box = Pattern.compile("viewBox=\"0 0 (\\d+) (\\d+)\"").matcher(svg);
        assertThat(box.find()).isTrue();
        int size = Integer.parseInt(box.group(1));
        BitMatrix drawn = new BitMatrix(size, size);
        Matcher run = Pattern.compile("M(\\d+) (\\d+)h(\\d+)v1h-\\d+z").matcher(svg);
        while (run.find()) {
            drawn.setRegion(Integer.parseInt(run.group(1)), Integer.parseInt(run.group(2)), Integer.parseInt(run.group(3)), 1);
        }
        int quiet = 4;
        BitMatrix modules = new BitMatrix(size - 2 * quiet, size - 2 * quiet);
        for (int y = 0; y < modules.getHeight(); y++) {
            for (int x = 0; x < modules.getWidth(); x++) {
                if (drawn.get(x + quiet, y + quiet)) {
                    modules.set(x, y);
                }
            }
        }
        DecoderResult decoded = new Decoder().decode(modules);
        assertThat(decoded.getText()).isEqualTo(uri);
    }
}
