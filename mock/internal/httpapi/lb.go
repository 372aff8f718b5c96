package httpapi

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
)

// lbPages are the bodies nginx sends for the 5xx it generates itself (its built-in error pages
// with server_tokens off, CRLF line ends as in ngx_http_special_response.c): what a client of
// the live API sees when the load balancer in front cannot reach, or gives up on, the service.
var lbPages = map[int]string{
	http.StatusBadGateway:         lbPage("502 Bad Gateway"),
	http.StatusServiceUnavailable: lbPage("503 Service Temporarily Unavailable"),
	http.StatusGatewayTimeout:     lbPage("504 Gateway Time-out"),
}

func lbPage(title string) string {
	return "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" + title +
		"</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
}

// writeLoadBalancerError answers as nginx in front of the service does: text/html, its stock
// page. Go writes the standard reason phrase ("503 Service Unavailable") in the status line.
func writeLoadBalancerError(c *gin.Context, status int) {
	body := lbPages[status]
	c.Header("content-length", strconv.Itoa(len(body)))
	c.Data(status, "text/html", []byte(body))
	c.Abort()
}
