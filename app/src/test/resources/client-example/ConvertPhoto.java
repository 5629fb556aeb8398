import io.animegan.client.AnimeganClient;
import io.animegan.client.ImageOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Converts one photo with nothing but the client jar on the class path: the README's example,
 * run by ClientJarIT as {@code java -cp animegan-client.jar ConvertPhoto.java <url> <photo> <out>}.
 */
public class ConvertPhoto {

    public static void main(String[] args) throws Exception {
        AnimeganClient client = new AnimeganClient(args[0], System.getenv("ANIMEGAN_API_TOKEN"));
        String id = client.submitImages(List.of(Path.of(args[1])), ImageOptions.defaults().withMaxSide(512))
                .get(0).id();
        var status = client.awaitFinished(id, Duration.ofMinutes(5));
        if (!status.path("status").asText().equals("done")) {
            throw new IllegalStateException("not converted: " + status);
        }
        AnimeganClient.Result result = client.downloadResult(id);
        Files.write(Path.of(args[2]), result.bytes());
        System.out.println(id + " " + result.contentType() + " " + result.bytes().length + " bytes");
    }
}
